"""London Borough of Lambeth."""
