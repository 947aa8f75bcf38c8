export { createSimulatedCloud, type SimulatedCloud, type SimulatedCloudDeps } from './driver.js';
export { SimulatedCloudConfig, type ResolvedTwinConfig, type CallFaultRule, type CreationFaultRule, type FaultConfig } from './config.js';
export { FaultInjector } from './faults.js';
export type { TwinOrganization } from './organization.js';
