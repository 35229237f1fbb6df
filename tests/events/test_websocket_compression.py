"""`standing serve` declines permessage-deflate unless STANDING_WS_COMPRESSION=true, over real websockets."""

from __future__ import annotations

import pytest
import websockets

from tests.support.live import serve


async def extensions_agreed(base: str) -> str | None:
    url = base.replace("http", "ws") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], compression="deflate") as ws:
        return ws.response.headers.get("Sec-WebSocket-Extensions")


@pytest.mark.parametrize(("setting", "compressed"), [({}, False), ({"STANDING_WS_COMPRESSION": "true"}, True)])
async def test_a_clients_offer_of_compression_is_taken_only_when_configured(database_url, setting, compressed):
    with serve(database_url, **setting) as (base, _):
        agreed = await extensions_agreed(base)
    assert (agreed is not None and "permessage-deflate" in agreed) is compressed, agreed
