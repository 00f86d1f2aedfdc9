# One image for every subgraph and the gateway; SERVICE picks which one runs.
FROM node:20-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY packages ./packages
COPY services ./services
COPY gateway ./gateway
RUN pnpm install --frozen-lockfile --prod=false
COPY tsconfig.base.json tsconfig.json ./
ARG SERVICE
ENV SERVICE_DIR=${SERVICE} NODE_ENV=production
USER node
CMD ["sh", "-c", "cd \"$SERVICE_DIR\" && exec node --import tsx src/main.ts"]
