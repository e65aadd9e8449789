import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import type { IProjectConfig } from '@tarojs/taro/types/compile';
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
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile,
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
