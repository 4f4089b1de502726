"""Campaign figures, KPIs, reports and the one suggestion a summary ends with.

Plain Python with no Telegram or database imports: the chat, the CSV import, the
scheduled summaries and the command line all feed snapshots in and get the same numbers
out. A KPI whose inputs are missing is unknown (None), never zero and never an error,
because a summary that says "CPE Rp0" or crashes is worse than one that says "belum ada".
A group's ratio divides only the fees and figures of the accounts that reported its
inputs, and records how many those were (coverage), so one account's clicks never carry
every account's fee.

- `figures`: a post's running totals, snapshots of them, and what cannot be true;
- `rates`: members, KPIs (rates and costs per result) of one member, side or campaign;
- `comparisons`: which KPI decides and in which direction, best and worst, changes;
- `suggestions`: the one next step a summary ends with;
- `report`: a campaign's KPIs at one moment, as stored for the next summary.
"""
