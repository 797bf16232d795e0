import { resolveUserId } from '@chat/client'
import { MotiaStreamProvider } from '@motiadev/stream-client-react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Terminal } from './Terminal'
import { streamAddress } from './config'
import './styles.css'

const userId = resolveUserId()
const root = document.getElementById('root')
if (!root) throw new Error('#root is missing')

createRoot(root).render(
  <StrictMode>
    <MotiaStreamProvider address={streamAddress(userId)}>
      <Terminal userId={userId} />
    </MotiaStreamProvider>
  </StrictMode>,
)
