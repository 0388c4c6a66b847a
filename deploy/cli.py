"""The operator's command line: `python -m deploy.cli <command> --help`.

  create-account    an admin or operator account, straight in the gateway's database
  load-district     a district's configuration file: checks it, sets and opens its funding period
  import-providers  providers from a CSV file through the API, with a progress bar and a file
                    of the rejected rows with the reason for each
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sys
from pathlib import Path

from tqdm import tqdm

from deploy.accounts_cli import ensure_account
from deploy.api_client import Api, ApiError
from deploy.district_config import load

PROVIDER_COLUMNS = ["kind", "full_name", "short_name", "inn", "ogrn", "kpp", "municipality", "legal_address",
                    "email", "phone", "licence_number", "licence_date", "bank_bik", "bank_account", "venue_title",
                    "venue_address", "teaches_alone", "agreement_number", "agreement_date"]


def provider_body(row: dict[str, str]) -> dict:
    body = {k: (row.get(k) or None) for k in PROVIDER_COLUMNS[:14]}
    body["teaches_alone"] = (row.get("teaches_alone") or "").strip().lower() in ("1", "да", "yes", "true")
    body["venues"] = [{"title": row.get("venue_title") or "Основное здание", "address": row.get("venue_address") or ""}]
    return body


def _reason(error: ApiError) -> str:
    p = error.problem
    details = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in p.get("errors") or [])
    return f"{p.get('title')}" + (f" — {details}" if details else (f" ({p['field']})" if p.get("field") else ""))


async def import_providers(api: Api, path: Path, approve: bool) -> tuple[int, Path | None]:
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig"), delimiter=";"))
    rejected: list[dict] = []
    made = 0
    for number, row in enumerate(tqdm(rows, desc="поставщики", unit="стр."), start=2):
        try:
            provider = await api.call("POST", "/providers", json=provider_body(row))
            if approve:
                await api.call("POST", f"/providers/{provider['id']}/approve")
                if row.get("agreement_number") and row.get("agreement_date"):
                    # with its own municipality as payer, for the year of its date, without a limit
                    signed_on = row["agreement_date"].strip()
                    await api.call("PUT", f"/providers/{provider['id']}/agreements/{row['municipality']}/"
                                          f"{signed_on[:4]}",
                                   json={"number": row["agreement_number"].strip(), "signed_on": signed_on,
                                         "limit_kop": None, "active": True})
            made += 1
        except ApiError as error:
            rejected.append({"строка": number, "ИНН": row.get("inn", ""), "причина": _reason(error)})
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


async def main_async(args) -> int:
    if args.command == "create-account":
        url = args.database_url or os.environ.get("GATEWAY_DATABASE_URL")
        if not url:
            print("GATEWAY_DATABASE_URL (or --database-url) is needed", file=sys.stderr)
            return 2
        district = args.district or os.environ.get("GATEWAY_DISTRICT") or os.environ.get("PFDO_DISTRICT")
        if not district:
            print("GATEWAY_DISTRICT (or --district) is needed", file=sys.stderr)
            return 2
        made = await ensure_account(url, args.email, args.password, args.role, args.municipality,
                                    district=district)
        print(("создана" if made else "уже существует") + f": {args.email} ({args.role})")
        return 0
    if args.command == "load-district":
        config = load(args.file)
        api = await _logged_in(args)
        periods = f"/municipalities/{config.municipalities[0].code}/periods/{config.period.year}"
        await api.call("PUT", periods, json=config.period.api_body())
        if args.open:
            opened = await api.run("POST", f"{periods}/open")
            if opened["status"] == "failed" or opened["result"]["stopped_at_budget"]:
                print(f"начисления остановлены: {opened['error'] or 'бюджет периода исчерпан'}", file=sys.stderr)
                return 1
        print(f"{config.name}: период {config.period.year} загружен" + (" и открыт" if args.open else ""))
        print("Правила района для сервисов (переменные окружения / values Helm):")
        for key, value in config.service_env().items():
            print(f"  {key}={value}")
        return 0
    api = await _logged_in(args)
    made, report = await import_providers(api, Path(args.file), args.approve)
    print(f"загружено: {made}" + (f"; отклонённые строки с причинами: {report}" if report else ""))
    return 0 if report is None else 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m deploy.cli", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("create-account")
    acc.add_argument("--role", choices=["admin", "operator"], required=True)
    acc.add_argument("--email", required=True)
    acc.add_argument("--password", required=True)
    acc.add_argument("--municipality")
    acc.add_argument("--database-url")
    acc.add_argument("--district", help="the district's code (default: GATEWAY_DISTRICT)")
    for name in ("load-district", "import-providers"):
        cmd = sub.add_parser(name)
        cmd.add_argument("file")
        cmd.add_argument("--api", default="http://127.0.0.1:8000")
        cmd.add_argument("--email", required=True, help="an operator's login")
        cmd.add_argument("--password", required=True)
        if name == "load-district":
            cmd.add_argument("--open", action="store_true", help="also open the period (credits certificates)")
        else:
            cmd.add_argument("--approve", action="store_true", help="approve each provider and set its agreement")
    docs = sub.add_parser("api-docs", help="write docs/api/ (OpenAPI, AsyncAPI, problem types) from the code")
    docs.add_argument("--check", action="store_true", help="only say whether the committed files are current")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "api-docs":
        return api_docs(args.check)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
