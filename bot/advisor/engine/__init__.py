"""The recommendation engine: the best portfolio per strategy under the budget, and a choice.

Plain Python + numpy, no Telegram, no database, no user-facing text: the result is a
structured `Recommendation` that the texts render and the database stores as JSON.

Model:
- value of a pick = goal metric (reach / engagements / conversions) x niche fit (primary
  1.0, secondary 0.6) x location fit x audience-quality factor; the location fit depends
  on where the customers are (`area`: walk-in, online, destination, or unknown);
- audiences of one place overlap, so inside an overlap group (candidate city, else
  province) the k-th best pick only adds OVERLAP**k of its value, and a group holds at most
  MAX_PER_GROUP picks;
- taking an account costs its coordination effort plus the value of its price (a Rupiah
  kept is worth a share of what a Rupiah typically buys where the customers are; see
  `choice.taking_costs`): marginal accounts are trimmed, no single account vetoes the
  rest; a portfolio holds at most MAX_ACCOUNTS;
- accounts with a low audience quality or poor results for this owner never enter;
- an account with a rate card enters in one format: the one whose value (reach scaled by
  the format's factor) less the value of its price is highest within the budget;
- the portfolio's price never exceeds the budget;
- the chosen strategy gives the most of what the goal needs (Totals.value), unless another
  gives nearly as much for clearly less money; when the store cannot use the budget, the
  amount that buys the best outcome is named.

Modules, in the order a recommendation flows through them:
- `formats`: content formats (reels, feed, story, video): each one's reach against the
  platform's main one, and which format of an account's rate card to buy;
- `estimates`: benchmark figures and one candidate's expected reach, engagements, sales;
- `area`: where the customers are: location fit, levels and "outside the area" per place;
- `shortlist`: which of a big store's accounts can matter for a brief (read before the rest);
- `values`: one candidate's value for a brief, and the objective a portfolio maximises;
- `table`: the same values for thousands of candidates at once, as numpy columns;
- `pruning`: the lossless (then capped) cut of a pool to what the optimiser must see;
- `knapsack`: the exact 0/1 knapsack over a discretised budget;
- `choice`: location levels per strategy, rate-card formats, one portfolio per strategy;
- `verdict`: the strategy to recommend, and the amount that buys the best outcome;
- `results`: the result types and their stored JSON shape.
"""
