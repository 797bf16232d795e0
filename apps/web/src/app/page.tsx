import { ChatPage } from './chat-page'

export default function Home() {
  return <ChatPage />
}
