import { expect, test } from '@playwright/test'
import type { PageFrame } from '../../fixtures/report/page-frames'
import { tokenToPaintLatencies } from '../../fixtures/report/token-latency'
import type { TextSample } from '../../fixtures/ui/text-samples'

const tokenFrame = (at: number, seq: number, token: string, routed = false): PageFrame => ({
  at,
  routed,
  data: JSON.stringify({
    timestamp: at,
    streamName: 'chat-messages',
    groupId: 'user:u',
    event: { type: 'event', event: { type: 'token', data: { traceId: 'A', seq, token, provider: 'openai' } } },
  }),
})

const sample = (at: number, paintedAt: number | null, text: string): TextSample => ({
  at,
  paintedAt,
  traceId: 'A',
  status: 'streaming',
  transport: 'websocket',
  text,
})

test('token to paint: from each frame to the paint of the first sample showing its text; unpainted samples count from their change', () => {
  const frames = [tokenFrame(100, 0, 'one'), tokenFrame(105, 1, ' two'), tokenFrame(200, 2, ' three')]
  const samples = [sample(110, 116, 'one two'), sample(203, null, 'one two three')]
  expect(tokenToPaintLatencies(frames, samples)).toEqual([16, 11, 3])
})

test('token to paint: frames of a routed socket are not measured (Playwright relays them to the app)', () => {
  const frames = [tokenFrame(100, 0, 'one', true), tokenFrame(105, 1, ' two', true)]
  const samples = [sample(400, 410, 'one two')]
  expect(tokenToPaintLatencies(frames, samples)).toEqual([])
})

test('token to paint: once a frame arrives out of order, the rest of that attempt is not measured', () => {
  const frames = [tokenFrame(100, 0, 'one'), tokenFrame(105, 2, ' three'), tokenFrame(110, 1, ' two')]
  const samples = [sample(101, 102, 'one'), sample(120, 121, 'one two three')]
  expect(tokenToPaintLatencies(frames, samples)).toEqual([2])
})
