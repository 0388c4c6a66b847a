from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from pfdo_kit.document_templates import NAME as TEMPLATE_NAME
from pfdo_kit.settings import ServiceSettings

# The shipped templates (deploy/documents, installed with the package) and Debian's
# fonts-dejavu-core, which .ci/run and deploy/Dockerfile install.
SHIPPED_DOCUMENTS = Path(__file__).resolve().parents[2] / "deploy" / "documents"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


class BillingSettings(ServiceSettings):
    """Billing's own settings; the clock (`BILLING_CLOCK_DATE`, demos only) and the region's
    extra days off (`BILLING_EXTRA_DAYS_OFF`) are the common ones of `ServiceSettings`."""

    model_config = SettingsConfigDict(env_prefix="BILLING_", extra="ignore", frozen=True)

    port: int = 8004
    # District rule for the delivered ratio at month close: the whole share once the child
    # attended at all, or the share of planned lessons attended. No attendance: nothing.
    delivered_rule: Literal["full_month", "attended_share"] = "attended_share"
    # Advances: up to this percentage of the month's planned certificate shares, from the
    # month's 2nd working day (the production calendar plus the region's extra days off).
    advance_percent: int = Field(default=80, ge=0, le=100)
    # Charges per ChargesPosted event (≤ 1000) and how often the month-close driver looks for
    # work when nothing wakes it.
    charges_batch_size: int = Field(default=1000, ge=1, le=1000)
    close_poll_interval_s: float = 2.0
    # Disputes: a family disputes a debit up to this many days after it (the region's window, which
    # the offer states); the provider answers within `dispute_answer_days`, after which the payer's operator may decide alone.
    dispute_window_days: int = Field(default=30, ge=1)
    dispute_answer_days: int = Field(default=10, ge=1)
    # Where the certificates service answers (the reconciliation report reads its ledger totals).
    certificates_url: str = "http://127.0.0.1:8002"
    peer_timeout_s: float = 10.0
    # Contract documents: the region's versioned templates (`<set>/<name>-v<N>` under
    # `documents_dir`, each released in its versions.json) and the directory holding DejaVuSans.ttf
    # and DejaVuSans-Bold.ttf; billing refuses to start without them.
    offer_template: str = Field(default="standard/offer-v1", pattern=TEMPLATE_NAME.pattern)
    termination_template: str = Field(default="standard/termination-v1", pattern=TEMPLATE_NAME.pattern)
    documents_dir: Path = SHIPPED_DOCUMENTS
    document_font_dir: Path = DEJAVU
    # How often the offer pre-renderer (jobs/offer_renderer.py) looks for newly offered contracts.
    offer_render_poll_interval_s: float = Field(default=1.0, gt=0)

    def extra_connections(self) -> int:
        return 1  # the month-close driver's LISTEN (jobs/month_close.py)
