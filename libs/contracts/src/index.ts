export {
  isProblemDetails,
  PROBLEM_CONTENT_TYPE,
  type FieldError,
  type ProblemDetails,
} from './problem-details';
