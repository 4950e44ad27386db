# The operator image: Node 24 + the compiled operator + the probe program it ships to
# probe pods. Build: npm run build && docker build -t netdiag/operator:0.1.0 .
# (The local lab builds the same layout without Docker; see scripts/lab/.)
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY dist ./dist
COPY probe ./probe
COPY node-probe ./node-probe
COPY crds ./crds
USER 65532:65532
ENTRYPOINT ["node", "dist/main.js"]
