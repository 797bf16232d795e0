/**
 * Sends a message; the answer streams into the chat state over Motia's stream (or by polling when the socket is
 * unavailable), so the caller renders `chat.state` rather than a return value.
 * @param {import('@chat/client').UseChatResult} chat
 * @param {string} message
 */
export const streamMessageMotia = (chat, message) => chat.send(message)
