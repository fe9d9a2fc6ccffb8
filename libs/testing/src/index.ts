export { createTestDatabase, type TestDatabase } from './postgres';
export { testKafkaBrokers, uniqueGroupId, uniqueTopic } from './kafka';
export { uniqueName } from './unique-name';
export { waitFor, type WaitForOptions } from './wait-for';
