"""What every page shares, whoever it is for: security and caching headers, static
assets, interface languages, the one error shape, trusted proxies, URL converters,
log-safe paths and the development secret key. Used by the audience packages, never
the reverse."""
