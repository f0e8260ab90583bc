"""Running the hub: accounts and sessions, the registry loaded from config/, migrations, the blob
store's upkeep."""
