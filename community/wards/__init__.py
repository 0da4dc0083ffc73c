"""Kingston on a map: the 19 wards as a tile map, or as uploaded boundaries."""
