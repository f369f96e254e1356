export { decodeEntryBundle, encodeEntryBundle, MAX_ENTRY_SIZE } from "./bundle.ts";
export {
  joinHashes,
  splitTileData,
  type TileBlob,
  TileBuilder,
  type TileFetcher,
  tileData,
  tileDataFromLeafHashes,
  tileHashes,
} from "./hashes.ts";
export { hashesAtTileLevel, newTilesForSize, partialTilesForSize, tilesForSize } from "./layout.ts";
export {
  type EntryBundleId,
  encodeTileIndex,
  entryBundlePath,
  MAX_TILE_LEVEL,
  type ParsedTilePath,
  parseTileIndex,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  tilePath,
} from "./path.ts";
export { TileReader, type TileSlice, tileForNode, tilesForNodes } from "./reader.ts";
