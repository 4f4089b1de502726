"""The recommendation engine: the best portfolio per strategy under the budget, and a choice.

Plain Python + numpy, no Telegram, no database, no user-facing text: the result is a
structured `Recommendation` that the texts render and the database stores as JSON.

Model:
- value of a pick = goal metric (reach / engagements / conversions) x niche fit x location
  fit x audience-quality factor;
- audiences of one place overlap, so inside an overlap group (candidate city, else province)
  the k-th best pick only adds OVERLAP**k of its value, and a group holds at most
  MAX_PER_GROUP picks;
- every account costs coordination effort: a constant per brief subtracted per pick
  (COORDINATION_SHARE of the best single value the budget can buy in the pools);
- the portfolio's price never exceeds the budget.

Modules, in the order a recommendation flows through them:
- `estimates`: benchmark figures and one candidate's expected reach, engagements, sales;
- `shortlist`: which of a big store's accounts can matter for a brief (read before the rest);
- `values`: one candidate's value for a brief, and the objective a portfolio maximises;
- `table`: the same values for thousands of candidates at once, as numpy columns;
- `pruning`: the lossless (then capped) cut of a pool to what the optimiser must see;
- `knapsack`: the exact 0/1 knapsack over a discretised budget;
- `choice`: location levels per strategy, one portfolio per strategy, the chosen one;
- `results`: the result types and their stored JSON shape.
"""
