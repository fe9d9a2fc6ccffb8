import { type DroneManagementConfig } from '../config/drone-management.config';
import { type FlightSettings } from './flight-step';

/**
 * The configured pace in real time: SIMULATION_TIME_SCALE simulated seconds pass per real second,
 * so drones fly that much faster, and load and charge that much sooner. ETAs are planned with the
 * same numbers, so they are the (real) times the simulated drone gets there.
 */
export function flightSettings(config: DroneManagementConfig): FlightSettings {
  const scale = config.SIMULATION_TIME_SCALE;
  return {
    speedKmh: config.DRONE_SPEED_KMH * scale,
    loadMs: (config.LOAD_TIME_SECONDS * 1_000) / scale,
    chargePercentPerMinute: config.CHARGE_PERCENT_PER_MINUTE * scale,
  };
}
