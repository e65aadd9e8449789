import { z } from 'zod';
import { getProduct, listProducts } from '../../app/shop/catalog';
import { action, createHandler } from '../../infra/handler';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const main = createHandler({
  listProducts: action({
    schema: z.object({ cursor: z.number().int().min(0).max(100_000).optional(), pageSize: z.number().int().min(1).max(50).optional() }).strict(),
    access: 'user',
    run: (input, ctx) => listProducts(ctx, input),
  }),
  getProduct: action({
    schema: z.object({ productId: id }).strict(),
    access: 'user',
    run: (input, ctx) => getProduct(ctx, input),
  }),
});
