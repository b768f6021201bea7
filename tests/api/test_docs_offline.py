"""/docs (Swagger UI) and /redoc work without the internet: their pages name no other host,
and every script, style sheet and icon they load comes from the relay (fastapi-offline)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from agent_relay.app import create_app
from agent_relay.settings import Settings

from tests.support import ServerProcess

ASSET_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}
# What each page must load: a page that lost its script would be blank, and pass the rest.
REQUIRED_ASSETS = {
    "/docs": {"swagger-ui-bundle.js", "swagger-ui.css"},
    "/redoc": {"redoc.standalone.js"},
}


@pytest.fixture
async def secured(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A relay with a token: the docs are no API route and need none."""
    app = create_app(settings.model_copy(update={"token": "s3cret"}))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://relay") as client,
    ):
        yield client


def referenced(html: str) -> list[str]:
    """Every URL the page loads or links: src/href attributes and the spec URL in the script."""
    urls = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html)
    urls += re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", html)
    return urls


@pytest.mark.parametrize("page", sorted(REQUIRED_ASSETS))
async def test_docs_page_names_no_other_host_and_its_assets_load(
    secured: httpx.AsyncClient, page: str
) -> None:
    response = await secured.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert re.findall(r"(?:https?:)?//[\w.-]+", html.replace("http://relay", "")) == [], (
        f"{page} names another host"
    )
    urls = referenced(html)
    names = {url.rsplit("/", 1)[-1] for url in urls}
    assert REQUIRED_ASSETS[page] <= names, urls
    assert "/openapi.json" in urls
    for url in urls:
        assert url.startswith("/"), url  # served by the relay itself
        loaded = await secured.get(url)
        assert loaded.status_code == 200, url
        if url == "/openapi.json":
            assert loaded.json()["components"]["securitySchemes"]
            continue
        suffix = url[url.rfind(".") :]
        assert ASSET_TYPES[suffix] in loaded.headers["content-type"], (url, loaded.headers["content-type"])
        assert len(loaded.content) > 1000 if suffix != ".png" else loaded.content[:4] == b"\x89PNG"


async def test_swagger_ui_asks_no_outside_validator(secured: httpx.AsyncClient) -> None:
    # Swagger UI fetches a badge from a public validator unless validatorUrl is null; its
    # default lives in the bundle, not the page, so the page must switch it off.
    html = (await secured.get("/docs")).text
    assert '"validatorUrl": null' in html
    assert '"persistAuthorization": true' in html


async def test_a_missing_asset_is_a_404_not_a_page(secured: httpx.AsyncClient) -> None:
    assert (await secured.get("/docs/assets/nope.js")).status_code == 404


def test_start_up_line_prints_the_docs_url(live_server: ServerProcess) -> None:
    log = live_server.log_path.read_text()
    line = next((ln for ln in log.splitlines() if "agent-relay on http://" in ln), None)
    assert line is not None, log
    docs = re.search(r"API docs (http://\S+/docs)\b", line)
    assert docs is not None, line
    assert docs.group(1) == f"{live_server.url}/docs"
    page = httpx.get(docs.group(1), timeout=10)
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
