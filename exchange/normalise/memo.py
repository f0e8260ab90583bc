"""How many distinct cells each cached parser remembers: spend files repeat the same
suppliers, postcodes and dates thousands of times."""

MEMO = 65_536
