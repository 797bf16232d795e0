import { TEST_IDS, TRANSPORT_LABELS, connectionStatusAttributes } from '@chat/client'
import { useChatSessionState } from '@chat/client/react'
import { MotiaStreamProvider } from '@motiadev/stream-client-react'
import { useMemo } from 'react'
import { MOTIA_URL, streamAddress, streamProtocols } from './config'
import { Terminal } from './Terminal'

/** The tab's session first; then the official provider's socket, offering the session's token as its subprotocol. */
export function Session() {
  const { session, error } = useChatSessionState(MOTIA_URL)
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
        {error && (
          <div className="screen">
            <p className="err" data-testid={TEST_IDS.errorBanner} role="alert">
              error: {error.message}
            </p>
          </div>
        )}
      </div>
    )
  }
  return (
    <MotiaStreamProvider address={streamAddress(session)} protocols={protocols}>
      <Terminal session={session} />
    </MotiaStreamProvider>
  )
}
