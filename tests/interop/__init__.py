"""The interop suite (a package, so that its conftest and modules do not clash with other
test folders when pytest collects several at once)."""
