import { licenceVerification } from './licence-verification';
import type { Capability } from './registry';
import { serviceGuide } from './service-guide';

export { defineCapability, type Capability, type CapabilityContext } from './registry';
export { seedCapabilityData, demoLicences, CAPABILITY_SEED } from './seed';

/** Every capability the API offers, in listing order. */
export const CAPABILITIES: readonly Capability[] = [licenceVerification, serviceGuide] as unknown as readonly Capability[];
