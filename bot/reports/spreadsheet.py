"""The report CSV an owner downloads, laid out for a spreadsheet with Indonesian settings.

Excel and Google Sheets with Indonesian regional settings split columns on ";" and read
"3,5" as three and a half, so the file uses both, Indonesian column names, and UTF-8 with
a BOM (without it Excel reads the text as ANSI). Whole numbers carry no thousands
separator: "1.000" would be read as one thousand in Indonesian settings but as one in
others, a plain "1000" is read right everywhere.
"""

from __future__ import annotations

import csv
import io

from bot.reports.kpi.figures import FIGURE_FIELDS
from bot.reports.kpi.rates import Kpis
from bot.reports.kpi.report import Report

HEADER: tuple[str, ...] = (
    "Baris",
    "Akun",
    "Platform",
    "Tier",
    "Fee (Rp)",
    "Sumber angka",
    "Tayangan",
    "Jangkauan",
    "Suka",
    "Komentar",
    "Dibagikan",
    "Disimpan",
    "Klik",
    "Pembelian",
    "Omzet (Rp)",
    "Interaksi",
    "Tingkat interaksi/ER (%)",
    "ER dihitung dari",
    "Biaya per 1.000 tayangan/CPM (Rp)",
    "Biaya per interaksi/CPE (Rp)",
    "Biaya per klik/CPC (Rp)",
    "Biaya per pembelian/CPA (Rp)",
    "Omzet per Rupiah biaya/ROAS (x)",
)
SIDE_LABELS = {"micro": "Total mikro", "macro": "Total makro"}
BASIS_LABELS = {"reach": "jangkauan", "followers": "pengikut"}
#: who sent a member's figures (see `bot.influencers.figures.reported_members`)
SOURCE_LABELS = {
    "influencer": "dilaporkan influencer",
    "corrected": "dilaporkan influencer, dikoreksi pemilik",
}


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _money(value: float | None) -> str:
    return "" if value is None else str(round(value))


def _decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _cells(k: Kpis) -> list[str]:
    return [
        *(_count(getattr(k.figures, name)) for name in FIGURE_FIELDS),
        _count(k.engagements),
        _decimal(k.engagement_rate),
        BASIS_LABELS.get(k.er_basis or "", ""),
        _money(k.cpm),
        _money(k.cpe),
        _money(k.cpc),
        _money(k.cpa),
        _decimal(k.roas),
    ]


def _source(k: Kpis, reported: str | None) -> str:
    """Whose figures a row holds; empty while the account has reported nothing."""
    if k.figures.is_empty():
        return ""
    return SOURCE_LABELS.get(reported or "", "pemilik usaha")


def report_csv(report: Report, reported: dict[int, str] | None = None) -> bytes:
    """One row per influencer, then the sides and the campaign; empty cells are unknown.

    The total rows' ratios cover only the accounts that reported each ratio's inputs, as
    in the chat. `reported` names the members whose figures the influencer sent.
    """
    reported = reported or {}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for mid, member in report.members.items():
        writer.writerow(
            (
                "Influencer",
                f"@{member.handle}",
                member.platform.value,
                member.tier.value if member.tier else "tidak diketahui",
                member.fee_idr,
                _source(report.per_member[mid], reported.get(mid)),
                *_cells(report.per_member[mid]),
            )
        )
    for side, k in report.per_side.items():
        writer.writerow((SIDE_LABELS[side], "", "", "", k.cost, "", *_cells(k)))
    overall = report.overall
    writer.writerow(("Total kampanye", "", "", "", overall.cost, "", *_cells(overall)))
    return out.getvalue().encode("utf-8-sig")
