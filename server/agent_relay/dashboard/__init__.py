"""The operator dashboard (§17): a static single-page app served by the relay itself at `/`,
same origin, no CDN, no build step. Plain ES modules under `static/`; the router serves them."""
