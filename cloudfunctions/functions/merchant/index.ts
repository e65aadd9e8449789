/** The merchant function: every module's merchant actions, each checking the merchant role on the server. */
import { assistMerchantActions } from '../../app/assist/merchantActions';
import { groupMerchantActions } from '../../app/group/actions';
import { presaleMerchantActions } from '../../app/presale/actions';
import { adminMerchantActions } from '../../app/merchant/merchantActions';
import { reportMerchantActions } from '../../app/merchant/reportActions';
import { referralMerchantActions } from '../../app/referral/merchantActions';
import { shopMerchantActions } from '../../app/shop/merchantActions';
import { storeMerchantActions } from '../../app/shop/store';
import { createHandler } from '../../infra/handler';

const actions = { ...shopMerchantActions, ...referralMerchantActions, ...assistMerchantActions, ...adminMerchantActions, ...groupMerchantActions, ...presaleMerchantActions, ...storeMerchantActions, ...reportMerchantActions };
for (const [name, def] of Object.entries(actions)) {
  if (def.access !== 'merchant') throw new Error(`merchant action ${name} must require the merchant role`);
}

export const main = createHandler('merchant', actions);
