"""Development tools kept out of the Lambda layer: the loopback LINE API, the local preview, local
Lambda runtime helpers, LINE event builders and search evaluation tools."""
