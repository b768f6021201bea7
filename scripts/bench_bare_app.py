"""The baseline for `make bench`: a bare async FastAPI app with one POST route that reads a
small JSON body and returns a small JSON object, served exactly like the relay (uvicorn,
1 worker, uvloop + httptools, access log off). The relay's send throughput is reported as a
ratio to this, so the number means "what the relay costs on top of FastAPI itself".

    python scripts/bench_bare_app.py --port 8123
"""

from __future__ import annotations

import argparse
import itertools

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()
_ids = itertools.count(1)


class Message(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    body: str


@app.post("/echo", status_code=201)
async def echo(message: Message) -> dict:
    return {"id": next(_ids), "to": message.to, "ok": True}


@app.get("/health")
async def health() -> dict:
    return {"ok": True}


_NULL_BODY = b'{"id":1,"to":"agent-1","ok":true}'
_NULL_RESPONSE = b"HTTP/1.1 201 Created\r\ncontent-length: %d\r\ncontent-type: application/json\r\n\r\n%s" % (
    len(_NULL_BODY),
    _NULL_BODY,
)


class _NullHttp:
    """`--null`: a raw uvloop protocol that answers every request with a fixed response
    (no HTTP parser, no framework). Loading it shows the load generator's own ceiling."""

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.buf = bytearray()

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            i = buf.find(b"Content-Length: ", 0, end)
            length = int(buf[i + 16 : buf.find(b"\r\n", i)]) if i >= 0 else 0
            if len(buf) < end + 4 + length:
                return
            del buf[: end + 4 + length]
            self.transport.write(_NULL_RESPONSE)

    def connection_lost(self, exc) -> None:
        pass

    def eof_received(self) -> None:
        pass


async def _serve_null(port: int) -> None:
    import asyncio

    server = await asyncio.get_running_loop().create_server(_NullHttp, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--null", action="store_true", help="raw fixed-response server (loadgen ceiling)")
    args = parser.parse_args()
    if args.null:
        import uvloop

        uvloop.run(_serve_null(args.port))
        return
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
