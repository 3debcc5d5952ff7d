"""What partner sites get: the embed in their frame, their look, the static export."""
