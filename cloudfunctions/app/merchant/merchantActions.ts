/** The merchant tab's own actions, served by the `merchant` function; each requires the merchant role (server side). */
import { revSchema } from '../../infra/revisions';
import { z } from 'zod';
import type { SaveProductInput } from '../../../types/modules/merchant.api';
import { action } from '../../infra/handler';
import { categoryIdSchema } from '../categories/categories';
import { dashboard } from './dashboard';
import { archiveProduct, deleteProduct, getMerchantProduct, listMerchantProducts, saveProduct, setProductOnSale } from './products';
import { addMerchant, blockUser, referralTree, removeMerchant, searchUsers } from './users';

const openid = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const page = { cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() };
/** A product picture: an https URL, or a path the app or the local cloud serves. */
const imageUrl = z.string().trim().max(500).regex(/^(https?:\/\/[^\s]+|\/[A-Za-z0-9_./-]+|cloud:\/\/[^\s]+)$/);

export const adminMerchantActions = {
  stats: action({
    schema: z.object({ range: z.enum(['today', '7d', '30d']) }).strict(),
    access: 'merchant',
    run: (input, ctx) => dashboard(ctx, input),
  }),
  listProducts: action({
    schema: z.object({ onSale: z.boolean().optional(), status: z.enum(['onSale', 'offSale', 'archived']).optional(), ...page }).strict(),
    access: 'merchant',
    run: (input, ctx) => listMerchantProducts(ctx, input),
  }),
  getProduct: action({
    schema: z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }).strict(),
    access: 'merchant',
    run: (input, ctx) => getMerchantProduct(ctx, input),
  }),
  saveProduct: action({
    schema: z
      .object({
        id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
        title: z.string().trim().min(1).max(60),
        description: z.string().max(1000),
        images: z.array(imageUrl).max(9),
        priceFen: z.number().int().min(1).max(100_000_000),
        stock: z.number().int().min(0).max(10_000_000).optional(),
        onSale: z.boolean(),
        sort: z.number().int().min(-10_000).max(10_000).optional(),
        categoryId: categoryIdSchema.nullable().optional(),
        // 规格: checked in full by domain/productSkus (names, values, one SKU per combination); here only the shape.
        options: z.array(z.object({ name: z.string().max(10), values: z.array(z.string().max(20)).max(20) }).strict()).max(2).optional(),
        skus: z
          .array(z.object({ spec: z.record(z.string().max(10), z.string().max(20)), priceFen: z.number().int().min(1).max(100_000_000), stockQty: z.number().int().min(0).max(10_000_000).optional() }).strict())
          .max(400)
          .optional(),
        rev: revSchema,
      })
      .strict(),
    access: 'merchant',
    run: (input, ctx) => saveProduct(ctx, input as SaveProductInput),
  }),
  setProductOnSale: action({
    schema: z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), onSale: z.boolean() }).strict(),
    access: 'merchant',
    run: (input, ctx) => setProductOnSale(ctx, input),
  }),
  archiveProduct: action({
    schema: z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/), archived: z.boolean() }).strict(),
    access: 'merchant',
    run: (input, ctx) => archiveProduct(ctx, input),
  }),
  deleteProduct: action({
    schema: z.object({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) }).strict(),
    access: 'merchant',
    run: (input, ctx) => deleteProduct(ctx, input),
  }),
  users: action({
    schema: z.object({ query: z.string().max(64).optional(), flagged: z.boolean().optional(), ...page }).strict(),
    access: 'merchant',
    run: (input, ctx) => searchUsers(ctx, input),
  }),
  referralTree: action({
    schema: z.object({ openid }).strict(),
    access: 'merchant',
    run: (input, ctx) => referralTree(ctx, input),
  }),
  blockUser: action({
    schema: z.object({ openid, blocked: z.boolean(), reason: z.string().trim().max(100).optional() }).strict(),
    access: 'merchant',
    run: (input, ctx) => blockUser(ctx, input),
  }),
  addMerchant: action({
    schema: z.object({ inviteCode: z.string().trim().min(4).max(16) }).strict(),
    access: 'merchant',
    run: (input, ctx) => addMerchant(ctx, input),
  }),
  removeMerchant: action({
    schema: z.object({ openid }).strict(),
    access: 'merchant',
    run: (input, ctx) => removeMerchant(ctx, input),
  }),
};
