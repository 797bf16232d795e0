import type { ErrorBody } from '@chat/protocol'

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } })

export const errorResponse = (status: number, code: string, message: string) => ({
  status,
  body: errorBody(code, message),
})
