"""How the server meets the network: limits per connection, and worker processes."""
