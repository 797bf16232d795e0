import { appServer } from '@chat/apps'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  server: appServer('web-b'),
  preview: appServer('web-b'),
})
