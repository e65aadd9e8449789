/** Actions of the assist (小助力) module (function `assist` and its part of `merchant`). */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AssistActions {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface MerchantAssistActions {}
