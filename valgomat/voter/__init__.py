"""The voter's pages: the quiz flow carried in the URL, the result and why, the method."""
