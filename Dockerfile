FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY schema ./schema
COPY workers ./workers
COPY cli ./cli
RUN pip install --no-cache-dir .
ENV STANDING_HOST=0.0.0.0 STANDING_PORT=8000
EXPOSE 8000
CMD ["standing", "serve"]
