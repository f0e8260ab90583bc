"""The supplier directory: where suppliers are (postcodes, partners' word, the companies register),
and the worklist of those it cannot place."""
