/** When the app asks for a subscribe message (inside a tap, never as a gate); the templates per moment are in config/subscribeMessages.ts. */
export type SubscribeMoment = 'assist' | 'invite' | 'withdraw' | 'refund';
