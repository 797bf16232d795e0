import { TRANSPORT_LABELS, connectionStatusAttributes } from '@chat/client'
import { useChatSession } from '@chat/client/react'
import { MotiaStreamProvider } from '@motiadev/stream-client-react'
import { useMemo } from 'react'
import { MOTIA_URL, streamAddress, streamProtocols } from './config'
import { Terminal } from './Terminal'

/** The tab's session first; then the official provider's socket, offering the session's token as its subprotocol. */
export function Session() {
  const session = useChatSession(MOTIA_URL)
  // The provider makes a new socket whenever `protocols` changes identity.
  const protocols = useMemo(() => (session ? streamProtocols(session) : []), [session])
  if (!session) {
    return (
      <div className="term">
        <div className="term-bar">
          <h1 className="title">Motia Chat — web-c</h1>
          <span className="link link-connecting" {...connectionStatusAttributes('connecting')}>
            [{TRANSPORT_LABELS.connecting}]
          </span>
        </div>
      </div>
    )
  }
  return (
    <MotiaStreamProvider address={streamAddress(session)} protocols={protocols}>
      <Terminal session={session} />
    </MotiaStreamProvider>
  )
}
