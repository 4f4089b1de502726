"""The command line (`python -m bot …`): parsing arguments and the commands behind them."""
