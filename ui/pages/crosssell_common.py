"""Cross-sell's drawing helpers shared by its tabs."""

from __future__ import annotations

# Results of one view kept per session for its recent settings: moving a slider back
# and forth hits the cache, and a long session of slider moves cannot push the
# baskets or the model (touched only on full reruns) out of the session's cache.
KEEP = 3
