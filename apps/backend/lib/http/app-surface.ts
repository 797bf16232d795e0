import { API_ROUTES } from '@chat/protocol'
import express, { type RequestHandler } from 'express'
import { errorBody } from './error-response'

/** A path whose percent-encoding is malformed is a JSON 400 (Express would answer it with an HTML stack trace). */
export const decodablePaths: RequestHandler = (req, res, next) => {
  try {
    decodeURIComponent(req.path)
    next()
  } catch {
    res.status(400).json(errorBody('invalid_path', 'The request path is not valid percent-encoding.'))
  }
}

/**
 * Only the routes the apps use answer; everything else — Motia's `/emit`, its `/__motia/*` workbench routes and
 * analytics, unknown paths — is a JSON 404 before Motia sees it.
 */
export const appRoutesOnly = (): RequestHandler[] => {
  const known = express.Router()
  const mark: RequestHandler = (_req, res, next) => {
    res.locals.appRoute = true
    next()
  }
  for (const route of Object.values(API_ROUTES)) {
    known[route.method === 'GET' ? 'get' : 'post'](route.path, mark)
  }
  const gate: RequestHandler = (_req, res, next) => {
    if (res.locals.appRoute) return next()
    res.status(404).json(errorBody('not_found', 'No such route.'))
  }
  return [known, gate]
}
