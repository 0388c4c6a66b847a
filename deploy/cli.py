"""The operator's command line: `python -m deploy.cli <command> --help`.

  create-account    an admin, regional operator or municipal operator account, straight in the
                    gateway's database (the first admin; later ones through the API)
  load-region       a region's configuration file: checks it, sets (and opens) each
                    municipality's funding period
  region-files      the Helm values and compose env file of each region, from deploy/regions/
  import-providers  providers from a CSV file through the API, with a progress bar and a file
                    of the rejected rows with the reason for each
  api-docs          docs/api/ (OpenAPI, AsyncAPI, problem types) from the code
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sys
from datetime import date
from pathlib import Path

from tqdm import tqdm

from deploy.accounts_cli import ensure_account
from deploy.api_client import Api, ApiError
from deploy.region_config import load
from deploy.region_load import load_region, problem_text

PROVIDER_COLUMNS = ["kind", "full_name", "short_name", "inn", "ogrn", "kpp", "municipality", "legal_address",
                    "email", "phone", "licence_number", "licence_date", "bank_bik", "bank_account", "venue_title",
                    "venue_address", "teaches_alone", "agreement_number", "agreement_date",
                    # optional: the payer (default: the provider's own municipality), the agreement's year
                    # (default: its date's) and its limit in kopecks (empty: no limit)
                    "agreement_municipality", "agreement_year", "agreement_limit_kop"]
STAFF_ROLES = ["admin", "regional_operator", "operator"]


def provider_body(row: dict[str, str]) -> dict:
    body = {k: (row.get(k) or None) for k in PROVIDER_COLUMNS[:14]}
    body["teaches_alone"] = (row.get("teaches_alone") or "").strip().lower() in ("1", "да", "yes", "true")
    body["venues"] = [{"title": row.get("venue_title") or "Основное здание", "address": row.get("venue_address") or ""}]
    return body


def agreement_of(row: dict[str, str]) -> tuple[str, int, dict] | None:
    """(payer municipality, year, body of `PUT /providers/{id}/agreements/{municipality}/{year}`),
    or None when the row names no agreement."""
    if not (row.get("agreement_number") and row.get("agreement_date")):
        return None
    signed_on = date.fromisoformat(row["agreement_date"].strip())
    limit = (row.get("agreement_limit_kop") or "").strip()
    return ((row.get("agreement_municipality") or row.get("municipality") or "").strip(),
            int(row.get("agreement_year") or signed_on.year),
            {"number": row["agreement_number"].strip(), "signed_on": signed_on.isoformat(),
             "limit_kop": int(limit) if limit else None, "active": True})


async def import_providers(api: Api, path: Path, approve: bool) -> tuple[int, Path | None]:
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=";"))
    rejected: list[dict] = []
    made = 0
    for number, row in enumerate(tqdm(rows, desc="поставщики", unit="стр."), start=2):
        try:
            provider = await api.call("POST", "/providers", json=provider_body(row))
            if approve:
                await api.call("POST", f"/providers/{provider['id']}/approve")
                if agreement := agreement_of(row):
                    payer, year, body = agreement
                    await api.call("PUT", f"/providers/{provider['id']}/agreements/{payer}/{year}", json=body)
            made += 1
        except ApiError as error:
            rejected.append({"строка": number, "ИНН": row.get("inn", ""), "причина": problem_text(error)})
        except ValueError as error:  # a bad agreement date, year or limit in the file
            rejected.append({"строка": number, "ИНН": row.get("inn", ""), "причина": f"соглашение: {error}"})
    if not rejected:
        return made, None
    report = path.with_suffix(".rejected.csv")
    with report.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["строка", "ИНН", "причина"], delimiter=";")
        writer.writeheader()
        writer.writerows(rejected)
    return made, report


async def _logged_in(args) -> Api:
    return await Api(args.api).login(args.email, args.password)


def api_docs(check: bool) -> int:
    from deploy import api_documents
    if check:
        if stale := api_documents.stale():
            print("устарели (python -m deploy.cli api-docs): " + ", ".join(str(p) for p in stale), file=sys.stderr)
            return 1
        return 0
    for path in api_documents.write():
        print(f"обновлён: {path}")
    return 0


def region_files(files: list[str], check: bool) -> int:
    from deploy import region_files as rf
    paths = [Path(f) for f in files] or None
    if check:
        if stale := rf.stale(paths):
            print("устарели (python -m deploy.cli region-files): " + ", ".join(str(p) for p in stale), file=sys.stderr)
            return 1
        return 0
    for path in rf.write(paths):
        print(f"обновлён: {path}")
    return 0


async def run_load_region(args) -> int:
    config = load(args.file)
    operators = {code: (email, password) for code, email, password in args.operator or []}
    if unknown := [c for c in [*operators, *(args.only or [])] if c not in {m.code for m in config.municipalities}]:
        print(f"в {config.name} нет муниципалитетов: {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = args.only or [m.code for m in config.municipalities]
    if not args.email and (without := [c for c in chosen if c not in operators]):
        print(f"нужен вход администратора (--email, --password) или оператор (--operator) для: {', '.join(without)}",
              file=sys.stderr)
        return 2
    apis: dict[str, Api] = {}
    if args.email:
        apis["*"] = await _logged_in(args)
    for code, (email, password) in operators.items():
        if code in chosen:
            apis[code] = await Api(args.api).login(email, password)
    try:
        loaded = await load_region(config, lambda code: apis.get(code) or apis["*"], args.open, args.only)
    finally:
        for api in apis.values():
            await api.close()
    for outcome in loaded:
        print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    print(f"Правила региона «{config.name}» для сервисов: deploy/helm/pfdo/values-{config.code}.yaml, "
          f"deploy/compose/{config.code}.env (python -m deploy.cli region-files)")
    return 0 if all(outcome.ok for outcome in loaded) else 1


async def main_async(args) -> int:
    if args.command == "create-account":
        url = args.database_url or os.environ.get("GATEWAY_DATABASE_URL")
        if not url:
            print("GATEWAY_DATABASE_URL (or --database-url) is needed", file=sys.stderr)
            return 2
        region = args.region or os.environ.get("GATEWAY_DISTRICT") or os.environ.get("PFDO_DISTRICT")
        if not region:
            print("GATEWAY_DISTRICT (or --region) is needed", file=sys.stderr)
            return 2
        if (args.role == "operator") != bool(args.municipality):
            print("--municipality: a municipal operator's, and only theirs", file=sys.stderr)
            return 2
        made = await ensure_account(url, args.email, args.password, args.role, args.municipality, district=region)
        print(("создана" if made else "уже существует") + f": {args.email} ({args.role})")
        return 0
    if args.command == "load-region":
        return await run_load_region(args)
    api = await _logged_in(args)
    made, report = await import_providers(api, Path(args.file), args.approve)
    print(f"загружено: {made}" + (f"; отклонённые строки с причинами: {report}" if report else ""))
    return 0 if report is None else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m deploy.cli", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("create-account")
    acc.add_argument("--role", choices=STAFF_ROLES, required=True,
                     help="admin (everything), regional_operator (the region: registry, certification, "
                          "every report) or operator (one municipality's: --municipality)")
    acc.add_argument("--email", required=True)
    acc.add_argument("--password", required=True)
    acc.add_argument("--municipality", help="the municipal operator's municipality (its code)")
    acc.add_argument("--database-url")
    acc.add_argument("--region", "--district", dest="region",
                     help="the installation's code, the region's (default: GATEWAY_DISTRICT)")
    load_cmd = sub.add_parser("load-region", help="set (and open) each municipality's funding period")
    load_cmd.add_argument("file", help="deploy/regions/<region>.yaml")
    load_cmd.add_argument("--api", default="http://127.0.0.1:8000")
    load_cmd.add_argument("--email", help="an admin's login (acts for every municipality)")
    load_cmd.add_argument("--password")
    load_cmd.add_argument("--operator", nargs=3, action="append", metavar=("MUNICIPALITY", "EMAIL", "PASSWORD"),
                          help="that municipality's operator acts for it (repeat per municipality)")
    load_cmd.add_argument("--only", action="append", metavar="MUNICIPALITY",
                          help="only this municipality (repeatable), e.g. one just added")
    load_cmd.add_argument("--open", action="store_true", help="also open each period (credits certificates)")
    imp = sub.add_parser("import-providers")
    imp.add_argument("file")
    imp.add_argument("--api", default="http://127.0.0.1:8000")
    imp.add_argument("--email", required=True, help="an admin's login (approving needs region staff, "
                                                    "agreements the payer's staff)")
    imp.add_argument("--password", required=True)
    imp.add_argument("--approve", action="store_true", help="approve each provider and set its agreement")
    files = sub.add_parser("region-files", help="write each region's Helm values and compose env file")
    files.add_argument("files", nargs="*", help="region files (default: every deploy/regions/*.yaml)")
    files.add_argument("--check", action="store_true", help="only say whether the committed files are current")
    docs = sub.add_parser("api-docs", help="write docs/api/ (OpenAPI, AsyncAPI, problem types) from the code")
    docs.add_argument("--check", action="store_true", help="only say whether the committed files are current")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "api-docs":
        return api_docs(args.check)
    if args.command == "region-files":
        return region_files(args.files, args.check)
    if args.command == "load-region" and bool(args.email) != bool(args.password):
        print("--email and --password go together", file=sys.stderr)
        return 2
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
