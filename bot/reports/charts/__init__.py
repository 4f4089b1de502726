"""Campaign summary chart: reach/views and engagements over time, plus micro vs macro CPE.

Why it is built this way: the scheduler sends up to 30 summaries a second from worker threads.
- Each thread keeps ONE Matplotlib figure (Agg, never pyplot: its global state is not
  thread-safe) whose artists are built once; a chart only updates their data.
- Matplotlib draws the graphics only (lines, bars, grid). Its text costs ~1 ms per label
  (glyph by glyph in Python), more than everything else together, so every word and number is
  stamped afterwards with Pillow from a per-thread cache of rendered strings ("0", "25 rb",
  "Jangkauan" recur in almost every chart). Same DejaVu Sans font Matplotlib ships.
- The PNG is mapped onto a fixed palette of the chart's colours and their antialiasing
  shades, zlib level 1: ~2 ms to encode and ~15 KB to upload.
Every human-readable word comes from the caller (`ChartLabels`), so the UI language stays in
the templates; numbers and dates are formatted the Indonesian way here.

- `data`: what the chart shows, worked out before drawing: values, scales, ticks, labels;
- `text`: Pillow's text stamping with its per-thread cache;
- `canvas`: the reusable figure, the PNG palette, and `render_summary_chart`.
"""
