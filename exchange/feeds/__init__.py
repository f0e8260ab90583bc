"""The MCA's feeds: locked releases of aggregated, disclosure-controlled datasets.

``sources`` reads a period's counting returns, ``datasets`` builds the five datasets,
``disclosure`` (with ``span``) suppresses what must not be published, ``releases`` freezes a
version with its lineage and revision notes, and ``reading`` serves them to the feed API."""
