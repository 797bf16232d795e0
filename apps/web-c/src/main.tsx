import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Session } from './Session'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root is missing')

createRoot(root).render(
  <StrictMode>
    <Session />
  </StrictMode>,
)
