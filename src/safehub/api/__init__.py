"""API: the versioned JSON interface (/api/v1/) for partner systems, with its OpenAPI
document, bearer-token authentication and one error shape. Thin: it calls the same services,
selectors and fetchers as the pages."""
