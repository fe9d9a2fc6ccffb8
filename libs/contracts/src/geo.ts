/** A WGS 84 position in decimal degrees. */
export interface GeoPoint {
  lat: number;
  lng: number;
}
