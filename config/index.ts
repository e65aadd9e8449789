import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import type { IProjectConfig } from '@tarojs/taro/types/compile';
import { templateIdsByMoment } from './subscribeMessages';
import devConfig from './dev';
import prodConfig from './prod';

/** Hand-written Taro config (no `taro init`: its templates come from the internet). */
export default defineConfig<'webpack5'>(async (merge) => {
  // The shared contract in types/ sits outside sourceRoot; Taro's script loaders skip such files unless told.
  const compile = { include: [path.resolve(__dirname, '..', 'types')] };
  const baseConfig: IProjectConfig<'webpack5'> = {
    projectName: 'tuisanfanyi',
    date: '2025-01-01',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    // Baked in at build time; the browser build talks to the local cloud, the WeChat build to CloudBase.
    defineConstants: {
      'process.env.TARO_APP_CLOUD_URL': JSON.stringify(process.env.TARO_APP_CLOUD_URL ?? ''),
      'process.env.TARO_APP_CLOUD_ENV': JSON.stringify(process.env.TARO_APP_CLOUD_ENV ?? ''),
      // weapp posters: an https prefix WeChat maps to this app (扫普通链接二维码打开小程序); empty = no QR, the code only.
      'process.env.TARO_APP_SHARE_BASE': JSON.stringify(process.env.TARO_APP_SHARE_BASE ?? ''),
      // Subscribe-message template ids per moment, from the one manifest (config/subscribeMessages.ts) and the same
      // SUBSCRIBE_TMPL_* variables the settle function sends with: {"assist":["id",…],…}; none = never ask.
      'process.env.TARO_APP_SUBSCRIBE_TEMPLATES': JSON.stringify(JSON.stringify(templateIdsByMoment(process.env))),
    },
    // The custom tab bar's icons are referenced by path, so they are copied rather than bundled.
    copy: {
      patterns: [
        { from: 'src/assets/tabbar/', to: `dist/${process.env.TARO_ENV}/assets/tabbar/` },
        // The browser's profile form offers these avatars (weapp uses WeChat's chooseAvatar instead).
        ...(process.env.TARO_ENV === 'h5' ? [{ from: 'src/assets/avatars/', to: 'dist/h5/assets/avatars/' }] : []),
      ],
      options: {},
    },
    framework: 'react',
    // weapp templates cannot recurse, so Taro unrolls one set per nesting level into base.wxml (~3.5 KB each);
    // our pages nest under 10, and deeper nodes still render through Taro's recursive `comp` component.
    baseLevel: 10,
    // Chinese text as UTF-8 (3 bytes a character) rather than \uXXXX escapes (6): the main package stays small.
    terser: { enable: true, config: { output: { ascii_only: false, comments: false } } },
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile,
      webpackChain(chain) {
        // No separate *.LICENSE.txt files in the package (the notices stay in node_modules).
        // webpack-chain keeps minimizers in a map its typings do not declare.
        const minimizers = (chain.optimization as unknown as { minimizers: { has(name: string): boolean } }).minimizers;
        if (minimizers.has('terserPlugin')) {
          chain.optimization.minimizer('terserPlugin').tap(([options]) => [{ ...options, extractComments: false }]);
        }
      },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      compile,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };
  const envConfig = process.env.NODE_ENV === 'development' ? devConfig : prodConfig;
  return merge({}, baseConfig, envConfig) as IProjectConfig<'webpack5'>;
});
