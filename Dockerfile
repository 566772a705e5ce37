FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
COPY terraform-modules ./terraform-modules
COPY examples ./examples
RUN pip install --no-cache-dir -e '.[all]'
ENV PAYBILL_HOST=0.0.0.0
EXPOSE 8000
CMD ["paybill", "serve"]
