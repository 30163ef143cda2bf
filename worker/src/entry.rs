//! The Worker's entry points: hand the request or the cron tick to `edge`, nothing else.

use worker::{Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent, event};

#[event(fetch)]
async fn fetch(request: Request, env: Env, ctx: Context) -> Result<Response> {
    crate::edge::handle(request, env, ctx).await
}

#[event(scheduled)]
async fn scheduled(event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    crate::edge::cron::run(&env, &event.cron()).await;
}
