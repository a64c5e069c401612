import type { SpiderIPPool, SpiderReservedIP, SpiderSubnet, SpiderEndpoint } from '@spiderpool/crd-types';
import type { WireObject } from '../api-client/object-client.port.js';

/** Wire-form views of the Spider kinds (as read from the API server or an informer cache). */
export type PoolObject = SpiderIPPool & WireObject;
export type SubnetObject = SpiderSubnet & WireObject;
export type EndpointObject = SpiderEndpoint & WireObject;
export type ReservedIPObject = SpiderReservedIP & WireObject;
